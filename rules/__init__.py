"""The bundled contract packs and their JSON Schema, installed as the package `siglint.packs`
(pyproject.toml maps this folder there, so the wheel ships them). Only data lives here."""
