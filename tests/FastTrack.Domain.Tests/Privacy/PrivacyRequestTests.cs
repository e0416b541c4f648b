using FastTrack.Domain.Privacy;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Privacy;

public class PrivacyRequestTests
{
    [Fact]
    public void A_request_is_due_30_days_after_it_is_received_and_overdue_only_after_that()
    {
        var request = PrivacyRequest.Receive("pr1", PrivacyRequestKind.Erase, "  Jane.Doe@Contoso.example ", Now);

        Assert.Equal(Now.AddDays(30), request.DueBy);
        Assert.Equal("jane.doe@contoso.example", request.Email);
        Assert.Equal(PrivacyRequestStatus.Received, request.Status);
        Assert.False(request.IsOverdue(Now.AddDays(30)));
        Assert.True(request.IsOverdue(Now.AddDays(30).AddSeconds(1)));
    }

    [Fact]
    public void A_completed_request_is_never_overdue_and_keeps_its_first_completion_time()
    {
        var done = PrivacyRequest.Receive("pr1", PrivacyRequestKind.Export, "a@b.example", Now).Complete(Now.AddDays(2));

        Assert.Equal((PrivacyRequestStatus.Completed, Now.AddDays(2)), (done.Status, done.CompletedAt));
        Assert.False(done.IsOverdue(Now.AddDays(90)));
        Assert.Equal(Now.AddDays(2), done.Complete(Now.AddDays(5)).CompletedAt);
    }

    [Fact]
    public void A_request_needs_an_email() =>
        Assert.Throws<ArgumentException>(() => PrivacyRequest.Receive("pr1", PrivacyRequestKind.Export, " ", Now));
}
