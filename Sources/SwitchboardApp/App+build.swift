import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks

/// Builds the Switchboard HTTP application on `store`.
///
/// - Precondition: `configuration.authTokens` is not empty and has no empty token (the entry point
///   refuses such configuration first).
public func buildApplication<Store: CallStore>(
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics = ServiceMetrics(),
    logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(configuration: configuration, store: store, metrics: metrics, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Switchboard"),
        logger: logger
    )
}

/// The router with every route; exposed so tests can drive it in process.
public func buildRouter<Store: CallStore>(
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics,
    logger: Logger
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    let service = VoiceService(store: store, configuration: configuration.routing, storeBudget: configuration.storeBudget, logger: logger)
    VoiceController(
        service: service,
        validator: SignatureValidator(tokens: configuration.authTokens),
        publicURL: RequestURL(base: configuration.routing.publicURL),
        bodyLimit: configuration.bodyLimit,
        metrics: metrics
    ).addRoutes(to: router)
    HealthController(store: store, budget: configuration.storeBudget, metrics: metrics).addRoutes(to: router)
    return router
}
