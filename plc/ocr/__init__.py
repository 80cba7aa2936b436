"""Reading photos of student work: OCR engines behind one small interface (base), picked by
name (registry), the page preparation they share (prepare), and finding the student's name
among the words read, to blur it (names). Plain Python: no Flask, no database."""
