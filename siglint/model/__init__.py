"""What siglint checks: models and TF Serving base paths found under the paths given
(discover), each model read into read-only views (load, view), and the SignatureDefs a Python
caller hands over (coerce)."""
