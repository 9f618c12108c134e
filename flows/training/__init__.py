"""Training and evaluation data: annotated sentences read into the product's own terms.

The relation model is trained here (`python -m flows.training`, i.e. `make train`), and
every evaluation (`kg eval`) reads its gold data through the same readers.
"""
