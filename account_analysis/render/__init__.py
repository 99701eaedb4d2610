"""Render: notebooks executed by papermill to HTML for the browser and for mail (nbconvert
templates), and the sales-ops workbook. Writes files."""
