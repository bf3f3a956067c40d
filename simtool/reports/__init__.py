"""PDF reports built with reportlab from plain report-data objects. Imports no Qt."""
