using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCCustomer: customers streamed as their pages arrive, or customers by id.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomer", DefaultParameterSetName = AllSet)]
[OutputType(typeof(Customer))]
public sealed class GetPCCustomerCommand : PCCmdlet
{
    private const string AllSet = "All";
    private const string CustomerIdSet = "CustomerId";
    private const string DomainSet = "Domain";
    private const string CompanyNameSet = "CompanyName";

    private ClientHandle? client;

    /// <summary>Customer ids to get.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CustomerIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string CustomerId { get; set; } = "";

    /// <summary>A domain prefix.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DomainSet)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "";

    /// <summary>A company-name prefix.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CompanyNameSet)]
    [ValidateNotNullOrEmpty]
    public string CompanyName { get; set; } = "";

    /// <summary>Customers per request, 1 to 500.</summary>
    [Parameter(ParameterSetName = AllSet)]
    [Parameter(ParameterSetName = DomainSet)]
    [Parameter(ParameterSetName = CompanyNameSet)]
    [ValidateRange(1, 500)]
    public int PageSize { get; set; } = 500;

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == CustomerIdSet)
        {
            string? json = Call(() => client!.GetCustomer(CustomerId), CustomerId, terminating: false);
            if (json is not null)
            {
                WriteObject(new Customer(JsonReader.ParseObject(json)).ToPSObject());
            }
            return;
        }
        List();
    }

    private void List()
    {
        string target = ParameterSetName switch
        {
            DomainSet => Domain,
            CompanyNameSet => CompanyName,
            _ => "customers",
        };
        string query;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            json.Member("domain", ParameterSetName == DomainSet ? Domain : null);
            json.Member("companyName", ParameterSetName == CompanyNameSet ? CompanyName : null);
            json.Member("pageSize", PageSize);
            json.EndObject();
            query = json.ToString();
        }

        // One page at a time: pull a page, write its customers, pull the next. Disposing the
        // cursor however the loop ends (the last page, an error, or a downstream
        // Select-Object -First, which stops this command from inside WriteObject) frees it.
        using CustomerPagesHandle? pages = Call(() => client!.ListCustomers(query), target, terminating: true);
        int pageNumber = 0;
        while (true)
        {
            string? page = Call(pages!.Next, target, terminating: true);
            if (page is null)
            {
                break;
            }
            pageNumber++;
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Customers: page {0} received.", pageNumber));
            if (JsonReader.Parse(page) is List<object?> customers)
            {
                foreach (object? customer in customers)
                {
                    if (customer is Dictionary<string, object?> fields)
                    {
                        WriteObject(new Customer(fields).ToPSObject());
                    }
                }
            }
        }
    }
}
