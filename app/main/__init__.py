"""The home page: 推荐楼盘, the newest news and the parks."""
