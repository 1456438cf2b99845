"""求租 requirements (委托找房): tenants say what they need, agents with matching space answer."""
