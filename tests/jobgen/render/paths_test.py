from jobgen.render.paths import relative_name


def test_a_build_step_names_a_job_from_its_own_folder():
    # Jenkins resolves a build step's job name relative to the caller's folder.
    assert relative_name("frontend", "frontend/frontend-build-v1-abc") == "frontend-build-v1-abc"
    assert relative_name("teams-api", "frontend/frontend-release") == "../frontend/frontend-release"
    assert relative_name("root/a", "root/b/x") == "../../root/b/x"
    assert relative_name("", "a/x") == "a/x"
