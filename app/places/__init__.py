"""The reference gazetteer: 绍兴's divisions and their neighbours, with county boundaries."""
