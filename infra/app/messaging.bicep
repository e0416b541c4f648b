// Integration events leave through Azure Service Bus: the app sends each event to one topic with a ServiceBusSender
// (Azure.Messaging.ServiceBus) as its managed identity. Consumers add their own subscriptions.
param name string
param location string
param tags object
param eventsTopicName string

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  // Topics need Standard or above.
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    // No SAS keys: only Entra ID identities with a data role may send or receive.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }

  resource eventsTopic 'topics' = {
    name: eventsTopicName
    properties: {
      // Each event's message id is its stable event id: a send retried after an unclear failure (the broker took it,
      // the answer was lost) is dropped by the broker within this window instead of reaching consumers twice. Service
      // Bus sets this only when it creates a topic (README "Deploy").
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT1H'
    }
  }
}

output name string = serviceBus.name
output eventsTopicName string = serviceBus::eventsTopic.name
