from jobgen.deploy.redact import mask_secrets, without_userinfo


def test_userinfo_leaves_every_url_in_a_text():
    text = "GET https://me:tok3n@ci.example.com/job/x failed; see http://u@h:8080/"
    assert without_userinfo(text) == "GET https://ci.example.com/job/x failed; see http://h:8080/"
    assert without_userinfo("mail me@example.com") == "mail me@example.com"


def test_secret_shaped_elements_and_encrypted_values_are_masked():
    xml = (
        "<a><authToken>t0k</authToken><credentialsId>deploy-key</credentialsId>"
        "<x>{AQAAABAAAAAQ5YwQm2n8pZ0fOa7Jx1yP1Q==}</x><password>p</password></a>"
    )
    assert mask_secrets(xml) == (
        "<a><authToken>****</authToken><credentialsId>deploy-key</credentialsId>"
        "<x>****</x><password>****</password></a>"
    )
