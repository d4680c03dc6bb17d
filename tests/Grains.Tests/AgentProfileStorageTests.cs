using System.Text.Json;
using AgentSilo.Agents;
using AgentSilo.Grains.Agents;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AgentProfileStorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_created_profile_is_in_storage_and_reads_back_from_its_stored_form()
    {
        var name = "stored-" + Guid.NewGuid().ToString("N")[..8];
        var profile = new AgentDefinition(name, "d", "Be brief.", "offline", ["current_time"], ["user"]);

        await fixture.Client.GetGrain<IAgentProfileGrain>(0).CreateAsync(Callers.NewAdmin(), profile);

        var stored = await StoredGrainState.ReadAsync(fixture.StorageConnectionString, "agentprofile", "0");
        Assert.Contains(name, stored);
        var state = new AgentProfileState { Profiles = [profile] };
        var roundTripped = JsonSerializer.Deserialize<AgentProfileState>(JsonSerializer.Serialize(state))!;
        Assert.Equal(profile with { Tools = roundTripped.Profiles[0].Tools, AllowedRoles = roundTripped.Profiles[0].AllowedRoles }, roundTripped.Profiles[0]);
        Assert.Equal(["current_time"], roundTripped.Profiles[0].Tools);
        Assert.Contains(name, (await fixture.Client.GetGrain<IAgentCatalogGrain>(0).ListForAsync(Callers.NewUser())).Select(a => a.Name));
    }
}
