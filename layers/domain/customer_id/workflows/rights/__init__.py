"""The customer's data rights (API.md "Data rights"): the export of everything held about them
(`export`), and erasure (`erasure`: the DELETE that marks them erased, and the sweep behind it)."""
