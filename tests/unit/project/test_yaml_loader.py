from odibi_sql.project.yaml_loader import load_yaml


def test_load_yaml_keys_on_off_yes_no_stay_words(tmp_path):
    """A join's ``on: [id]`` must reach the transform as ``on``, not as YAML 1.1's boolean True."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "join: {with: customers, on: [id]}\nflags: {yes: 1, No: 2, OFF: 3, true: 4}\nouter: on\n",
        encoding="utf-8",
    )
    data = load_yaml(path, "p.yaml").data
    assert data["join"] == {"with": "customers", "on": ["id"]}
    assert data["flags"] == {"yes": 1, "No": 2, "OFF": 3, True: 4}
    assert data["outer"] is True  # values keep YAML's booleans
