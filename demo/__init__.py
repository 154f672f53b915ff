"""The demonstration organisation that `make run` creates: pure data (``demo.data``) and its writer
(``demo.seed``), used by ``manage.py demo_seed``."""
