"""How command-line git in a pipeline authenticates to a private repository.

The worker and watcher jobs check out through the git plugin's SCM, which takes
`credentialsId` itself. Pipelines run `git ls-remote` (and self-deploy `git
clone`) in `sh`, so the credential is bound around them: an HTTPS URL with the
git plugin's `gitUsernamePassword` binding (it answers git through
GIT_ASKPASS), any other URL (ssh://, scp-like) with credentials-binding's
`sshUserPrivateKey` and GIT_SSH_COMMAND, which git runs through the shell, so
`$JOBGEN_GIT_KEY` is read there and no path or secret is written into Groovy.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.render.escape import groovy_string

KEY_VARIABLE = "JOBGEN_GIT_KEY"
SSH_COMMAND = f'GIT_SSH_COMMAND=ssh -i "${KEY_VARIABLE}" -o IdentitiesOnly=yes'


@dataclass(frozen=True)
class GitAuth:
    """Groovy list expressions: the `withCredentials` bindings and the `withEnv` variables."""

    bindings: str
    env: str


def git_auth(repo: str, credentials_id: str | None) -> GitAuth | None:
    """The bindings that let `git` in `sh` reach `repo` with `credentials_id`; None without one."""
    if not credentials_id:
        return None
    credential = groovy_string(credentials_id)
    if repo.startswith(("https://", "http://")):
        return GitAuth(f"[gitUsernamePassword(credentialsId: {credential})]", "[]")
    key = groovy_string(KEY_VARIABLE)
    return GitAuth(
        f"[sshUserPrivateKey(credentialsId: {credential}, keyFileVariable: {key})]",
        f"[{groovy_string(SSH_COMMAND)}]",
    )
