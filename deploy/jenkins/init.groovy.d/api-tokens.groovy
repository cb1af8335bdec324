// Gives the users that JCasC created the API tokens held in the env file. JCasC cannot set an
// API token (Jenkins keeps only its hash), so this runs after it at every start: a token whose
// value changed in the env file replaces the old one (revoked by name); nothing else is touched.
import hudson.model.User
import jenkins.security.ApiTokenProperty

def tokens = [
  'restore-drill-portal': System.getenv('RESTORE_DRILL_JENKINS_API_TOKEN'),
  'restore-drill-agent' : System.getenv('RESTORE_DRILL_AGENT_API_TOKEN'),
]
tokens.each { userId, value ->
  if (!value) {
    throw new IllegalStateException("${userId}: its API token is not set in the env file")
  }
  def user = User.getById(userId, false)
  if (user == null) {
    throw new IllegalStateException("${userId}: no such user (is casc.yaml loaded?)")
  }
  def property = user.getProperty(ApiTokenProperty)
  if (property == null) {
    property = new ApiTokenProperty()
    user.addProperty(property)
  }
  def store = property.tokenStore
  def name = 'restore-drill (deploy/.env)'
  store.tokenListSortedByName.findAll { it.name == name }.each { store.revokeToken(it.uuid) }
  property.addFixedNewToken(name, value)
  user.save()
}
