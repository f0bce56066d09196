"""gkml — 公开目录: a static-site generator for Chinese government information-disclosure catalogues.

Stages, data flowing one way: load → validate → model → pages → render → export.
"""
__version__ = "0.1.0"
