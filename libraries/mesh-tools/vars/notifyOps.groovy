// notifyOps('text'): tells the operators' channel; slackSend comes from the Slack plugin.
def call(String text) {
    def sent = slackSend(channel: '#mesh-ops', message: text)
    return sent?.ts
}
