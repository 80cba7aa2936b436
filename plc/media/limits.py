"""The numbers that bound an upload and the copies made of it."""

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000          # per image; more is a decompression bomb
MAX_PDF_PAGES = 20
DISPLAY_MAX_SIDE = 2400          # the cleaned image people see
THUMB_MAX_SIDE = 480             # phone-sized thumbnail
PDF_RENDER_LONG_SIDE = 2000      # pixels on the long side of a rendered PDF page
