"""Parameter files: defaults merged with a period file, refused when wrong."""

from __future__ import annotations

import pytest
from conftest import run_cli

from account_analysis import InputError, Settings, load_settings
from account_analysis.config import PARAMS_DIR


def write(tmp_path, text):
    path = tmp_path / "2026-Q3.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_period_files_are_valid():
    files = sorted(p for p in PARAMS_DIR.glob("*.yaml") if p.name != "defaults.yaml")
    assert len(files) >= 4
    periods = [load_settings(p).period for p in files]
    assert periods[:4] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_period_file_overrides_defaults(tmp_path):
    s = load_settings(write(tmp_path, 'period: "2026-09"\nwindow_months: 12\nthreshold: 0.1\n'))
    assert (s.period, s.window_months, s.threshold, s.language) == ("2026-09", 12, 0.1, "en")
    assert s.window.months == 12


def test_an_analyst_gets_the_period_as_the_batch_runs_it():
    # open_period/open_score read params/<period>.yaml, as the README says; the batch renders
    # 2026-Q3 in Dutch (its file says so) and so does the notebook an analyst opens.
    batch = load_settings(PARAMS_DIR / "2026-Q3.yaml")
    analyst = Settings.for_period({"period": "2026-Q3", "language": None, "window_months": None})
    assert batch.language == "nl" and analyst == batch
    assert Settings.for_period({"period": "2026-Q3", "window_months": 12}).window_months == 12
    assert Settings.for_period({"period": "2031-Q1"}).language == "en"  # no file: the defaults


def test_a_bad_period_file_is_named_when_an_analyst_opens_its_period(tmp_path, monkeypatch):
    import account_analysis.settings.parameters as parameters

    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "defaults.yaml").write_text(parameters.DEFAULTS_FILE.read_text())
    (folder / "2026-Q3.yaml").write_text('period: "2026-Q3"\nthreshold: 2\n')
    monkeypatch.setattr(parameters.config, "PARAMS_DIR", folder)
    with pytest.raises(InputError, match=r"2026-Q3.yaml.*threshold"):
        Settings.for_period({"period": "2026-Q3"})


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('period: "2026-Q3"\ntreshold: 0.05\n', "treshold", "known keys"),
        ('period: "2026-Q3"\nthreshold: 0\n', "threshold", "above 0"),
        ('period: "2026-Q3"\nthreshold: 1.5\n', "threshold", "above 0"),
        ('period: "2026-Q3"\nthreshold: "5%"\n', "threshold", "a number"),
        ('period: "2026-Q3"\nwindow_months: 0\n', "window_months", "from 1 to 120"),
        ('period: "2026-Q3"\nwindow_months: 24.5\n', "window_months", "a whole number"),
        ('period: "2026-Q9"\n', "period", "a quarter"),
        ('period: "2026-Q3"\nlanguage: de\n', "language", "en, nl"),
        ('period: "2026-Q3"\ndata_language: Dutch\n', "data_language", "such as nl or en"),
        ("window_months: 24\n", "period", "a value for period"),
    ],
)
def test_bad_parameters_name_file_and_key(tmp_path, text, key, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_settings(path)
    message = str(info.value)
    assert "2026-Q3.yaml" in message and f"key {key}" in message and expected in message


def test_run_refuses_bad_params_before_running(tmp_path):
    path = write(tmp_path, 'period: "2026-Q3"\ncolour: blue\n')
    result = run_cli("run", path, "--reports", tmp_path / "reports")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2026-Q3.yaml, key colour" in result.stderr
    assert not (tmp_path / "reports").exists()


def test_yaml_syntax_error_names_line(tmp_path):
    path = write(tmp_path, 'period: "2026-Q3"\nthreshold: [0.05\n')
    with pytest.raises(InputError, match="valid YAML"):
        load_settings(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('period: "2026-Q3"\nmerger_pairs: [[C1]]\n', "merger_pairs"),
        ('period: "2026-Q3"\nmerger_pairs: C1\n', "merger_pairs"),
        ('period: "2026-Q3"\ngrowth_target: 0\n', "growth_target"),
        ('period: "2026-Q3"\nrestate_hierarchy: maybe\n', "restate_hierarchy"),
    ],
)
def test_bad_scenario_parameters(tmp_path, text, key):
    with pytest.raises(InputError, match=f"key {key}"):
        load_settings(write(tmp_path, text))


def test_merger_pairs_are_read_as_pairs(tmp_path):
    s = load_settings(write(tmp_path, 'period: "2026-Q3"\nmerger_pairs: [[C1, C2]]\n'))
    assert s.merger_pairs == (("C1", "C2"),)
    assert s.as_parameters()["merger_pairs"] == [["C1", "C2"]]


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("smtp_port: 70000\n", "smtp_port", "from 1 to 65535"),
        ("smtp_port: true\n", "smtp_port", "a whole number"),
        ("smtp_security: ssl\n", "smtp_security", "starttls, tls, none"),
        ("smtp_host: ''\n", "smtp_host", "a host name"),
        ("smtp_host: smtp example nl\n", "smtp_host", "a host name"),
        ("mail_from: sales@localhost\n", "mail_from", "one mail address"),
        ("mail_from: 'a@example.nl, b@example.nl'\n", "mail_from", "one mail address"),
        ("mail_management: [director@example.nl, 42]\n", "mail_management", "mail addresses"),
        ("mail_management: [a@example.nl, A@Example.nl]\n", "mail_management", "each address"),
        ("smtp_ca_file: missing-ca.pem\n", "smtp_ca_file", "an existing CA certificate"),
    ],
)
def test_bad_mail_settings_name_file_and_key(tmp_path, text, key, expected):
    with pytest.raises(InputError) as info:
        load_settings(write(tmp_path, 'period: "2026-Q3"\n' + text))
    message = str(info.value)
    assert "2026-Q3.yaml" in message and f"key {key}" in message and expected in message


@pytest.mark.parametrize("key", ["smtp_password", "smtp_user", "mail_password", "api_token"])
def test_credentials_in_a_parameter_file_are_refused_without_their_value(tmp_path, key):
    with pytest.raises(InputError) as info:
        load_settings(write(tmp_path, f'period: "2026-Q3"\n{key}: s3cr3t-Value\n'))
    message = str(info.value)
    assert f"key {key}" in message and "ACCOUNT_ANALYSIS_SMTP_PASSWORD" in message
    assert "s3cr3t-Value" not in message


SECRET = "Hunter2-kW9x"


@pytest.mark.parametrize(
    "key",
    [
        "wachtwoord",
        "smtp_pwd",
        "smtpPwd",
        "pw",
        "Passwort",
        "kennwort",
        "mot_de_passe",
        "contraseña",
        "senha",
        "parola",
        "hasło",
        "salasana",
        "lösenord",
        "пароль",
        "api_key",
        "apiKey",
        "client_secret",
        "auth",
        "bearer",
        "smtp_credentials",
        "geheim",
        "sleutel",
    ],
)
def test_secret_looking_keys_in_any_language_never_show_their_value(tmp_path, key):
    with pytest.raises(InputError) as info:
        load_settings(write(tmp_path, f'period: "2026-Q3"\n{key}: {SECRET}\n'))
    message = str(info.value)
    assert f"key {key}" in message and "ACCOUNT_ANALYSIS_SMTP_PASSWORD" in message
    assert SECRET not in message and SECRET[:6] not in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (f"smtp_host: 'mailer:{SECRET}@smtp.example.nl'\n", "smtp_host"),
        (f"smtp_host: 'smtp://mailer:{SECRET}@smtp.example.nl:587'\n", "smtp_host"),
        (f"smtp_host: 'smtps://{SECRET}@smtp.example.nl'\n", "smtp_host"),
        (f"mail_from: 'smtp://mailer:{SECRET}@smtp.example.nl'\n", "mail_from"),
        (f"mail_management: ['mailer:{SECRET}@smtp.example.nl']\n", "mail_management"),
        (f"colour: 'password={SECRET}'\n", "colour"),
    ],
)
def test_a_value_with_user_info_or_a_password_is_never_shown(tmp_path, text, key):
    with pytest.raises(InputError) as info:
        load_settings(write(tmp_path, 'period: "2026-Q3"\n' + text))
    message = str(info.value)
    assert f"key {key}" in message, message
    assert SECRET not in message and SECRET[:6] not in message


def test_ordinary_values_are_still_shown(tmp_path):
    with pytest.raises(InputError) as info:
        load_settings(
            write(
                tmp_path,
                'period: "2026-Q3"\nsmtp_host: "smtp.example.nl:587"\n'
                'mail_from: "Sales Operations <sales@localhost>"\n',
            )
        )
    message = str(info.value)
    assert "'smtp.example.nl:587'" in message and "sales@localhost" in message


def test_mail_settings_are_read_but_never_notebook_parameters(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("not checked here, only that it exists")
    s = load_settings(
        write(
            tmp_path,
            'period: "2026-Q3"\nsmtp_port: 587\n'
            "mail_management: ['Directie <directie@example.nl>']\n"
            f"smtp_ca_file: {ca}\nsmtp_security: tls\n",
        )
    )
    assert (s.mail.port, s.mail.security, s.mail.ca_path) == (587, "tls", ca)
    assert s.mail.management == ("Directie <directie@example.nl>",)
    assert not any(k.startswith(("mail", "smtp")) for k in s.as_parameters())


BOMB = "".join(
    ['period: "2026-Q3"\n', 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    """Nine levels of nine aliases expand to 9**9 * 8 strings; refused before any expands."""
    import time

    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        load_settings(write(tmp_path, BOMB))
    assert time.perf_counter() - started < 2
    message = err.value.message()
    assert "2026-Q3.yaml, row 2" in message and "no anchors or aliases" in message


def test_a_single_alias_is_refused_with_its_row(tmp_path):
    path = write(tmp_path, 'period: &p "2026-Q3"\nlanguage: en\nmail_from: *p\n')
    with pytest.raises(InputError, match=r"row 1: expected valid YAML \(no anchors"):
        load_settings(path)


@pytest.mark.parametrize("key", ["1", "true", "null", "2026-09-30", "1.5"])
def test_a_key_that_is_not_a_name_is_refused(tmp_path, key):
    path = write(tmp_path, f'period: "2026-Q3"\n{key}: 0.05\n')
    with pytest.raises(InputError) as err:
        load_settings(path)
    assert "2026-Q3.yaml, key " in err.value.message()
    assert "expected a key that is a name" in err.value.message()


def test_a_folder_as_params_file_is_refused(tmp_path):
    folder = tmp_path / "2026-Q3.yaml"
    folder.mkdir()
    with pytest.raises(InputError, match="2026-Q3.yaml: expected a parameter file, not a folder"):
        load_settings(folder)
