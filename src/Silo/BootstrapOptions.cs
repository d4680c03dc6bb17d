namespace AgentSilo.Silo;

/// <summary>The first administrator (configuration section <c>Bootstrap</c>); both values set or neither.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>Username of the admin account created at start when it does not exist yet.</summary>
    public string? AdminUsername { get; set; }

    /// <summary>Its initial password (12..256 characters). Supply it from a secret store or the environment, never source.</summary>
    public string? AdminPassword { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(AdminUsername) && !string.IsNullOrEmpty(AdminPassword);
}
