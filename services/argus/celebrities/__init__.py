"""The celebrity gallery: the people RecognizeCelebrities recognizes and GetCelebrityInfo describes.

Argus ships no celebrity database. The operator imports one per account with
``argus celebrities import DIR`` (:mod:`.importer`), from one folder per person holding photos
and an ``info.json`` (:mod:`.gallery`). People are stored in the ``celebrities`` table; their faces
in a face collection of its own that no user API can reach (:mod:`.store`). docs/celebrities.md
describes the format, the recognition threshold and the storage.
"""
