"""ficlens: who is in a story, who says each line and to whom, and whose eyes each scene is seen through."""

__version__ = "0.1.0"
