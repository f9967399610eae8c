from jobgen.render.marker import Marker, format_marker, parse_marker


def test_marker_round_trips_inside_a_longer_description():
    marker = Marker(owner="jobs-repo", name="frontend-build", component="frontend", sha256="ab12")
    description = f"JavaScript UI\n\n{format_marker(marker)}\n"
    assert parse_marker(description) == marker


def test_description_without_marker_is_not_jobgens():
    assert parse_marker("a job somebody made by hand") is None
    assert parse_marker(None) is None
    assert parse_marker("[jobgen] owner=x") is None
