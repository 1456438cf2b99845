"""A minimal page, served by the same gunicorn settings as the app: the machine's ceiling."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Say hello."""
    return "hello"
