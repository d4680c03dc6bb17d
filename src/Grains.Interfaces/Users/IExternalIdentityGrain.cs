using System.Security.Cryptography;
using System.Text;

namespace AgentSilo.Users;

/// <summary>
/// The external-identity index: one activation per (issuer, subject) pair, keyed by <see cref="ExternalIdentityKey"/>.
/// On first sight it creates a local user (a new user id, no password) and from then on always answers with that
/// user, so the same <c>sub</c> from two issuers is two different users.
/// </summary>
public interface IExternalIdentityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits a request made with a validated external access token: creates the local user on first sight,
    /// refreshes its roles from the token, refuses a disabled user or a token issued before a logout-all, and takes
    /// a quota token when <paramref name="takeQuotaToken"/> is set.
    /// </summary>
    Task<ExternalAdmission> AdmitAsync(ExternalSignIn signIn, bool takeQuotaToken);
}

/// <summary>The local user behind an external identity (the same activation as <see cref="IUserGrain"/>).</summary>
public interface IExternalUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user for this external identity; it has no password, so password sign-in never works.</summary>
    Task CreateExternalAsync(ExternalSignIn signIn);

    /// <summary>See <see cref="IExternalIdentityGrain.AdmitAsync"/>.</summary>
    Task<ExternalAdmission> AdmitExternalAsync(ExternalSignIn signIn, bool takeQuotaToken);
}

/// <summary>What the API learned from a validated external access token.</summary>
/// <param name="Provider">The configuration name of the issuer (<c>Auth:External:&lt;name&gt;</c>).</param>
/// <param name="Issuer">The token's <c>iss</c>.</param>
/// <param name="Subject">The token's <c>sub</c>.</param>
/// <param name="Username">A display username for a new user: never an index entry, never a local username.</param>
/// <param name="DisplayName">A display name for a new user.</param>
/// <param name="Roles">The local roles the token's role claim maps to (at least one).</param>
/// <param name="IssuedAt">The token's <c>iat</c>, compared with the user's last logout-all.</param>
[GenerateSerializer, Immutable, Alias("AgentSilo.ExternalSignIn")]
public sealed record ExternalSignIn(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Issuer,
    [property: Id(2)] string Subject,
    [property: Id(3)] string Username,
    [property: Id(4)] string DisplayName,
    [property: Id(5)] string[] Roles,
    [property: Id(6)] DateTimeOffset IssuedAt);

/// <summary>The admission, and on success the local user the external identity is.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.ExternalAdmission")]
public sealed record ExternalAdmission(
    [property: Id(0)] Admission Admission,
    [property: Id(1)] UserProfile? User = null);

public static class ExternalIdentityKey
{
    /// <summary>The index key of an external identity: hex SHA-256 of <c>iss + "|" + sub</c>.</summary>
    public static string Of(string issuer, string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "|" + subject)));
}
