using AgentSilo.Grains.Agents;
using AgentSilo.Grains.Agents.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Tests;

/// <summary>Model settings are checked when the silo starts, and a wrong one is named.</summary>
public sealed class ModelSettingsTests
{
    [Theory]
    [InlineData("Models:gpt:Provider", "azure", "Models:gpt:Provider must be 'offline' or 'openai'")]
    [InlineData("Models:gpt:Endpoint", "", "Models:gpt:Endpoint must be the absolute http or https base URL")]
    [InlineData("Models:gpt:Endpoint", "file:///etc/passwd", "Models:gpt:Endpoint must be the absolute http or https base URL")]
    [InlineData("Models:gpt:Model", "", "Models:gpt:Model is required")]
    [InlineData("Models:gpt:MaxRetries", "9", "Models:gpt:MaxRetries must be 0 to 5")]
    [InlineData("Models:offline:Provider", "openai", "Models:offline:Provider must be 'offline'")]
    [InlineData("Agents:DefaultModel", "nonesuch", "Agents:DefaultModel names no configured model")]
    [InlineData("Agents:TurnTimeoutSeconds", "0", "Agents:TurnTimeoutSeconds must be 1 to 110")]
    public void A_missing_or_wrong_setting_fails_naming_the_setting(string key, string value, string expected)
    {
        var settings = ValidOpenAi();
        settings[key] = value;

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(expected, failure.Message);
        Assert.DoesNotContain("sk-never-shown", failure.Message);
    }

    [Fact]
    public void Valid_settings_add_the_model_beside_offline()
    {
        var registry = Resolve(ValidOpenAi());

        Assert.Equal(["gpt", "offline"], registry.Names.Order());
        Assert.True(registry.Exists("GPT"));
        Assert.False(registry.Exists("claude"));
    }

    [Fact]
    public void Settings_never_show_the_api_key_as_text()
    {
        var model = new ModelSettings { Provider = "openai", Endpoint = "http://localhost:1/v1", Model = "m", ApiKey = "sk-never-shown" };

        Assert.DoesNotContain("sk-never-shown", model.ToString());
    }

    private static Dictionary<string, string?> ValidOpenAi() => new()
    {
        ["Models:gpt:Provider"] = "openai",
        ["Models:gpt:Endpoint"] = "http://localhost:11434/v1",
        ["Models:gpt:Model"] = "llama3.2",
        ["Models:gpt:ApiKey"] = "sk-never-shown",
        ["Agents:DefaultModel"] = "gpt",
    };

    private static ModelRegistry Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddAgentSiloGrainServices("UseDevelopmentStorage=true");
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
        return provider.GetRequiredService<ModelRegistry>();
    }
}
