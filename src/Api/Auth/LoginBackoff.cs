using System.Net;
using AgentSilo.Users;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Brings a password sign-in through the login throttles of its client address and its account (see
/// <see cref="ILoginThrottleGrain"/>). Unknown and existing names are throttled alike, so a lockout reveals nothing.
/// </summary>
public static class LoginBackoff
{
    /// <summary>Starts the attempt; a non-zero <see cref="LoginAttempt.RetryAfterSeconds"/> means answer 429 now.</summary>
    public static async Task<LoginAttempt> BeginAsync(IClusterClient cluster, HttpContext context, string normalizedUsername)
    {
        var address = cluster.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.Address(ClientAddress(context.Connection.RemoteIpAddress)));
        var wait = await address.BeginAttemptAsync();
        if (wait > 0)
        {
            return new LoginAttempt(wait, null, null);
        }

        var account = cluster.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.Account(normalizedUsername));
        wait = await account.BeginAttemptAsync();
        if (wait > 0)
        {
            // No password is checked, so this was no failure of the address.
            await address.EndAttemptAsync(succeeded: true);
            return new LoginAttempt(wait, null, null);
        }

        return new LoginAttempt(0, address, account);
    }

    /// <summary>
    /// The throttle key of a client: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64 prefix, which one subscriber
    /// usually holds whole and could otherwise rotate through.
    /// </summary>
    public static string ClientAddress(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>One sign-in attempt under way; <see cref="EndAsync"/> reports how it went.</summary>
public sealed record LoginAttempt(int RetryAfterSeconds, ILoginThrottleGrain? Address, ILoginThrottleGrain? Account)
{
    public async Task EndAsync(bool succeeded)
    {
        if (Address is not null && Account is not null)
        {
            await Task.WhenAll(Address.EndAttemptAsync(succeeded), Account.EndAttemptAsync(succeeded));
        }
    }
}
