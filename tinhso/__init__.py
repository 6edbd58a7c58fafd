"""Tỉnh Số: open-source digital-government platform for Vietnamese provinces."""
