"""Plan files: the model, the format and its checks, reading a file and a folder."""
