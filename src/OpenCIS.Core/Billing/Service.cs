namespace OpenCIS.Core.Billing;

/// <summary>The commodities and city services a bill can carry.</summary>
public enum Service
{
    Water,
    Sewer,
    Trash,
    Stormwater,
    Electric,
    Gas,
}
