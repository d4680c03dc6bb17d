using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Users;

/// <summary>A user that signs in with an external provider's access tokens (DESIGN.md, decision 2, for SSO).</summary>
public sealed partial class UserGrain : IExternalUserGrain
{
    public async Task CreateExternalAsync(ExternalSignIn signIn)
    {
        if (User.Exists)
        {
            throw new ConflictException("The user already exists.");
        }

        state.State = new UserState
        {
            Exists = true,
            Username = signIn.Username,
            DisplayName = signIn.DisplayName,
            Roles = AccountRules.Roles(signIn.Roles),
            CreatedAt = time.GetUtcNow(),
            ExternalIssuer = signIn.Issuer,
            ExternalSubject = signIn.Subject,
        };
        await state.WriteStateAsync();
    }

    public async Task<ExternalAdmission> AdmitExternalAsync(ExternalSignIn signIn, bool takeQuotaToken)
    {
        var refused = !User.Exists || User.Disabled
            || User.ExternalIssuer != signIn.Issuer || User.ExternalSubject != signIn.Subject
            || (User.SessionsValidAfter is { } validAfter && signIn.IssuedAt <= validAfter);
        if (refused)
        {
            var quota = quotaOptions.Value.Capacity;
            return new ExternalAdmission(new Admission(AdmissionStatus.Unauthenticated, quota, 0, 0, 0, "The session has ended."));
        }

        // The provider owns role membership: each sign-in brings the current roles. Stored only when they change.
        var roles = AccountRules.Roles(signIn.Roles);
        if (!roles.Order(StringComparer.Ordinal).SequenceEqual(User.Roles.Order(StringComparer.Ordinal)))
        {
            User.Roles = roles;
            await state.WriteStateAsync();
        }

        return new ExternalAdmission(takeQuotaToken ? _bucket.Take() : _bucket.Peek(), Profile());
    }
}
