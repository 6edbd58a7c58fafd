"""Back up and restore the database and the uploaded files (sao lưu, khôi phục).

See docs/backup.md. The logic lives in `engine.py` (one backup = a directory
with the database dump, the files and a manifest), the vendor specifics in
`database.py` and the storage walk in `files.py`."""
