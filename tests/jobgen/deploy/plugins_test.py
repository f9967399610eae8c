from jobgen.deploy.plugins import missing_plugins


def test_missing_and_too_old_plugins_are_named():
    installed = {"workflow-job": "1436.vfa_244484591f", "git": "3.9.1"}
    needed = ["workflow-job@2.40", "git@4.0.0", "cloudbees-folder@6.15"]
    assert missing_plugins(needed, installed) == [
        "cloudbees-folder (not installed; needs 6.15 or newer)",
        "git (needs 4.0.0 or newer, has 3.9.1)",
    ]


def test_everything_present_is_no_problem():
    assert missing_plugins(["git@4.0.0"], {"git": "5.2.1"}) == []
