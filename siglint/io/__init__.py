"""Reading bytes: the Source seam every byte goes through (local files now, remote objects
later), the seek reader of `saved_model.pb`, and the bounded readers of config files, packs,
baselines and specs."""
