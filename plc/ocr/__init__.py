"""Reading photos of student work: OCR engines behind one small interface (base), picked by
name (registry: rapid, tesseract), the page preparation they share (prepare), the pieces of
text an engine reads put together into words and lines (layout, with pieces, fractions and
mathtext), and finding the student's name among the words read, to blur it (names). Plain
Python: no Flask, no database."""
