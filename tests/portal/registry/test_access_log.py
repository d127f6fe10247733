"""Gunicorn's access log masks ID and phone numbers, as the application's log does."""

import datetime
import runpy
from pathlib import Path
from types import SimpleNamespace

from django.utils.module_loading import import_string
from gunicorn.config import Config

from portal.registry.access_log import MaskingLogger

ROOT = Path(__file__).resolve().parents[3]
ID_NUMBER = "11010519491231002X"


def _access_line(capsys, *, uri: str, referer: str = "-") -> str:
    config = Config()
    config.set("accesslog", "-")
    logger = MaskingLogger(config)
    path, _sep, query = uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    return capsys.readouterr().out


def test_a_line_with_a_phone_and_an_id_number_shows_them_masked(capsys):
    uri = f"/admin/members/chooser/results/?q=13812345678&id={ID_NUMBER}"
    line = _access_line(capsys, uri=uri, referer=f"https://guiyan.example/verify/{ID_NUMBER}/")
    assert "13812345678" not in line and ID_NUMBER not in line
    assert "138****5678" in line and "110105********002X" in line
    assert "203.0.113.9" in line and '" 200 512' in line


def test_a_percent_encoded_or_spaced_phone_is_masked_too(capsys):
    line = _access_line(capsys, uri="/admin/members/?q=%2B86%20138%201234%205678")
    assert "1234" not in line.replace("138****5678", "")
    assert "138****5678" in line


def test_a_line_without_numbers_is_left_as_gunicorn_writes_it(capsys):
    line = _access_line(capsys, uri="/verify/activity/ABCD23456789/?q=%E5%BC%A0")
    assert "/verify/activity/ABCD23456789/?q=%E5%BC%A0" in line


def test_gunicorn_conf_names_the_masking_logger():
    """gunicorn reads gunicorn.conf.py from the working directory: the project's names it."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert import_string(settings["logger_class"]) is MaskingLogger
