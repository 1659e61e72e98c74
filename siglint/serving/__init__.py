"""TF Serving's own formats, as data: the messages of a `models.config`, of a warmup file's
records and of the requests clients send (schema subset, generated descriptors), and the names
and limits the server uses for them."""
