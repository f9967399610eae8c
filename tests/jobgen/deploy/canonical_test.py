from jobgen.deploy.canonical import canonical, unified

COMPILED = b"""<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>it's &lt;mine&gt;</description>
  <builders>
    <hudson.tasks.Shell>
      <command>echo "a"\n  indented\n</command>
    </hudson.tasks.Shell>
  </builders>
</project>
"""

# What Jenkins writes back after a save: version 1.1, plugin attributes, &apos;, other indentation.
RESAVED = (
    b"<?xml version='1.1' encoding='UTF-8'?>\n"
    b'<project plugin="core@2.479"><description>it&apos;s &lt;mine&gt;</description><builders>\n'
    b'        <hudson.tasks.Shell plugin="shell@1.0">'
    b"<command>echo &quot;a&quot;\n  indented\n</command></hudson.tasks.Shell>\n"
    b"</builders></project>"
)


def test_a_resaved_config_is_the_same_config():
    assert canonical(RESAVED) == canonical(COMPILED)


def test_an_edited_command_shows_in_the_diff():
    edited = COMPILED.replace(b'echo "a"', b'echo "b"')
    assert canonical(edited) != canonical(COMPILED)
    diff = unified("f/job", edited, COMPILED)
    assert '-      <command>echo "b"' in diff and '+      <command>echo "a"' in diff


def test_whitespace_inside_values_is_content():
    assert canonical(COMPILED.replace(b"  indented", b"indented")) != canonical(COMPILED)
