// A real OpenID provider (the oidc-provider package) for the external sign-in tests, on loopback only.
//
//   node provider.mjs            (settings come from the environment, see below)
//
// OIDC_PORT        port to listen on (127.0.0.1)
// OIDC_AUDIENCE    the resource indicator of the AgentSilo API: JWT access tokens (RFC 9068) are issued for it
// OIDC_CLIENT_ID   the test client (confidential, client_secret_post); OIDC_CLIENT_SECRET its secret
// OIDC_REDIRECT_URI where the authorization code is sent (nothing needs to listen there: the test reads Location)
// OIDC_ALG         the access token signing algorithm: ES256 (default) or RS256
// OIDC_KEYS_FILE   where to write this provider's private JWKS, so an attack test can sign with this provider's
//                  own key while claiming another issuer (test-only; a real provider never shares its keys)
//
// Signing in is the standard authorization code flow with PKCE. The login and consent pages are replaced by an
// interaction handler that signs in the account named by login_hint and grants what the client asked for: the test
// plays the user. The test directory: every account exists, and its group (claim "groups") is the part of the
// account id before the first "-", so "ops-42" is in group "ops".
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const port = Number(env('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;
const audience = env('OIDC_AUDIENCE');
const alg = env('OIDC_ALG', 'ES256');
const resourceScopes = 'chatbot:read chatbot:write admin';

// Fresh keys per process: oidc-provider's built-in development keys are the same everywhere.
const signingKey = alg === 'RS256'
  ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const jwk = { ...signingKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
const keysFile = process.env.OIDC_KEYS_FILE;
if (keysFile) {
  writeFileSync(keysFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
}

const groupOf = (accountId) => accountId.split('-')[0];

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    grant_types: ['authorization_code', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: alg,
  }],
  jwks: { keys: [jwk] },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: `Test user ${sub}`, preferred_username: sub };
      },
    };
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      // Any resource may be asked for, so a test can get a token for an API that is not AgentSilo.
      getResourceServerInfo: () => ({
        scope: resourceScopes,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg } },
      }),
    },
  },
  async extraTokenClaims(ctx, token) {
    if (token.kind !== 'AccessToken' || !token.accountId) {
      return undefined;
    }
    return { groups: [groupOf(token.accountId)], preferred_username: token.accountId };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});

// The test plays the user: sign in as login_hint, consent to everything asked.
provider.use(async (ctx, next) => {
  if (ctx.method !== 'GET' || !ctx.path.startsWith('/interaction/')) {
    return next();
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === 'login') {
    if (!params.login_hint) {
      ctx.status = 400;
      ctx.body = 'login_hint names the account to sign in';
      return undefined;
    }
    result = { login: { accountId: String(params.login_hint) } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    for (const [resource, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
  return undefined;
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
