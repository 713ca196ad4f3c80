using System.Collections.Immutable;
using OpenCIS.Core.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>A simulation's result: the policy and scenario read, and the events day by day.</summary>
public sealed record CollectionSimulation(CollectionPolicy Policy, CollectionScenario Scenario, ImmutableArray<CollectionEvent> Events);

/// <summary>
/// <c>collections simulate</c>: runs a policy file over a scenario file with no database, through the same
/// timeline the daily collections run calls. Either file with a problem is refused with its lines and fields.
/// </summary>
public static class SimulateCollections
{
    public static CollectionSimulation Run(string policyYaml, string policyFileName, string scenarioYaml, string scenarioFileName)
    {
        var policy = CollectionPolicyYaml.Read(policyYaml, policyFileName);
        var scenario = CollectionScenarioYaml.Read(scenarioYaml, scenarioFileName);
        var events = CollectionTimeline.Run(policy, scenario.Account, scenario.Calendar(), scenario.From, scenario.To);
        return new CollectionSimulation(policy, scenario, events);
    }
}
