"""simtool: clinical simulation drills, scored and archived."""

__version__ = "0.1.0"
