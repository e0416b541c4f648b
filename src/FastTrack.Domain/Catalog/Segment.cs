namespace FastTrack.Domain.Catalog;

/// <summary>The customer's segment. Education, Government and NonProfit are also the industries a partner opts in to.</summary>
public enum Segment
{
    Commercial,
    Government,
    Education,
    NonProfit,
}
