"""TensorFlow's SavedModel format, as data: the names TensorFlow and TF Serving agree on, the
DataType enum, the protobuf schema subset siglint reads and its strict text format."""
