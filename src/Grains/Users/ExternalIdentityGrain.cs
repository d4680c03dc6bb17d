using AgentSilo.Users;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

/// <summary>The stored state of one external-identity index entry (grain storage <c>users</c>).</summary>
public sealed class ExternalIdentityState
{
    public string? UserId { get; set; }

    public string Issuer { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public DateTimeOffset LinkedAt { get; set; }
}

public sealed class ExternalIdentityGrain(
    [PersistentState("externalIdentity", "users")] IPersistentState<ExternalIdentityState> state,
    TimeProvider time) : Grain, IExternalIdentityGrain
{
    public async Task<ExternalAdmission> AdmitAsync(ExternalSignIn signIn, bool takeQuotaToken)
    {
        if (ExternalIdentityKey.Of(signIn.Issuer, signIn.Subject) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The identity does not belong to this index entry.", nameof(signIn));
        }

        var link = state.State;
        if (link.UserId is null)
        {
            var userId = Guid.NewGuid().ToString("N");
            await GrainFactory.GetGrain<IExternalUserGrain>(userId).CreateExternalAsync(signIn);

            // Written after the user exists: a crash in between leaves an unreachable user, never a link without one.
            state.State = link = new ExternalIdentityState
            {
                UserId = userId, Issuer = signIn.Issuer, Subject = signIn.Subject, LinkedAt = time.GetUtcNow(),
            };
            await state.WriteStateAsync();
        }
        else if (link.Issuer != signIn.Issuer || link.Subject != signIn.Subject)
        {
            // Only a hash collision could get here: never hand one person's account to another.
            throw new InvalidOperationException("The external identity index entry belongs to another identity.");
        }

        return await GrainFactory.GetGrain<IExternalUserGrain>(link.UserId).AdmitExternalAsync(signIn, takeQuotaToken);
    }
}
