"""The public address (PUBLIC_BASE_URL) is what the page, the widget and the CSP use."""
from __future__ import annotations

from dataclasses import replace

from bot.settings import load_settings
from bot.web.server import Pages, content_security_policy


def test_behind_the_hospital_proxy_everything_points_at_the_public_https_address() -> None:
    settings = replace(load_settings(), public_base_url="https://assistant.example.org/")
    assert settings.public_url == "https://assistant.example.org"
    assert "connect-src 'self' https://assistant.example.org;" in content_security_policy(settings)
    page = Pages(settings).rendered["/fr/"]
    assert 'data-rasa-url="https://assistant.example.org"' in page
    assert "http://" not in content_security_policy(settings).split("connect-src")[1].split(";")[0]


def test_several_instances_the_widget_talks_to_nginx_on_its_own_origin() -> None:
    settings = replace(load_settings(), rasa_instances=2, public_port=18080, host="127.0.0.1")
    assert settings.chat_api_url == settings.public_url == "http://127.0.0.1:18080"
    assert settings.rasa_ports == [settings.rasa_port, settings.rasa_port + 1]
    assert settings.instance(1).rasa_url == f"http://127.0.0.1:{settings.rasa_port + 1}"


def test_one_instance_without_a_public_address_is_unchanged() -> None:
    settings = replace(load_settings(), rasa_instances=1, public_base_url=None)
    assert settings.chat_api_url == settings.rasa_url and settings.public_url == settings.web_url
