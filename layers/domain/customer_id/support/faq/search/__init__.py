"""The FAQ search: a BM25 index of the items in both languages (`index`), cached per container
while the FAQ is unchanged (`service`)."""
