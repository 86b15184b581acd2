package dev.bumper.provider;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.bumper.Tools;
import dev.bumper.provider.GitHubApiServer.GraphQlAnswer;
import dev.bumper.provider.OpenApiDescription.Violation;
import graphql.ErrorType;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.TypeResolutionEnvironment;
import graphql.execution.CoercedVariables;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.IntValue;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.ScalarWiringEnvironment;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's GraphQL API (the endpoint beside its REST API) on a {@link GitHubApiServer}, from
 * GitHub's published schema rather than by hand: {@code schema.graphql} of the npm package {@code
 * @octokit/graphql-schema}, at the version {@code src/test/tools.tsv} pins.
 *
 * <p>Each query is parsed and validated against the schema by graphql-java, and its variables are
 * coerced to the types the operation declares, as GitHub does; a query or variables GitHub would
 * refuse is recorded as a violation of the server (the test ends with {@link
 * GitHubApiServer#assertNoViolations()}) and answered, as GitHub answers it, HTTP 200 with {@code
 * errors}. One rule is stricter than GitHub: a variable the operation does not declare is a
 * violation, since GitHub ignores it and a misspelt one would pass unnoticed.
 *
 * <p>The test answers the root fields it expects ({@link #answer}) with plain maps; graphql-java
 * then shapes the answer to the query's selection and the schema's types, so a field the query
 * asks for and the map lacks is null, and null where the schema says non-null is a violation of
 * the answer. An object of an interface or union type names its type in a {@code __typename} key.
 * GitHub's own refusals (a pull request that cannot be auto-merged) are {@link Refusal}s, answered
 * in GitHub's shape: {@code data} with the field null, and {@code errors} with the type and
 * message.
 */
public final class GitHubGraphQl implements GitHubApiServer.GraphQlEndpoint {
  /** The npm package of the schema, a row of src/test/tools.tsv. */
  static final String PACKAGE = "@octokit/graphql-schema";

  private static final String SCHEMA = "schema.graphql";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> REQUEST_FIELDS = Set.of("query", "variables", "operationName");
  private static GraphQL engine;

  /** How the test answers one root field of a query or mutation. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * The field's value (maps, lists, strings, numbers, booleans; an enum by its name) for the
     * arguments, already coerced to the schema's types; throws {@link Refusal} as GitHub refuses.
     */
    Object resolve(Map<String, Object> arguments);
  }

  /** A refusal GitHub answers in {@code errors}: its type (NOT_FOUND, UNPROCESSABLE) and text. */
  public static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;

    public Refusal(String type, String message) {
      super(message);
      this.type = type;
    }

    public String type() {
      return type;
    }
  }

  /** No resolver for a root field the query asks for: the test did not expect the request. */
  private static final class Unanswered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unanswered(String field) {
      super(field);
    }
  }

  private final Map<String, Resolver> resolvers = new ConcurrentHashMap<>();

  private GitHubGraphQl() {}

  /** A GraphQL endpoint for {@code server}, which answers its GraphQL requests from now on. */
  public static GitHubGraphQl serve(GitHubApiServer server) {
    GitHubGraphQl graphQl = new GitHubGraphQl();
    server.graphQl(graphQl);
    return graphQl;
  }

  /**
   * Answers the root field {@code field} of the schema's Query or Mutation type ({@code
   * enablePullRequestAutoMerge}) with {@code resolver}, in place of the one it had.
   */
  public GitHubGraphQl answer(String field, Resolver resolver) {
    GraphQLSchema schema = engine().getGraphQLSchema();
    if (schema.getMutationType().getFieldDefinition(field) == null
        && schema.getQueryType().getFieldDefinition(field) == null) {
      // a misspelt name fails here rather than as a violation later
      throw new IllegalArgumentException(field + " is not a root field of GitHub's schema");
    }
    resolvers.put(field, resolver);
    return this;
  }

  /**
   * GitHub's schema, built once per JVM. A test class that uses it names {@code
   * @RequiresTools({"@octokit/openapi", "@octokit/graphql-schema"})}.
   */
  static synchronized GraphQL engine() {
    if (engine == null) {
      String text;
      try {
        text = Files.readString(Tools.npmPackage(PACKAGE).resolve(SCHEMA), UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Document sdl = Parser.parse(ParserEnvironment.newParserEnvironment().document(text)
          .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
      TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(withoutRepeats(sdl));
      // not strict: ID replaces the built-in one
      RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().strictMode(false)
          .wiringFactory(new Wiring())
          .scalar(GraphQLScalarType.newScalar().name("ID").coercing(new Id()).build())
          .build();
      engine = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(registry, wiring))
          .build();
    }
    return engine;
  }

  /**
   * The schema without the second of two declarations of one field of an object type that are
   * the same but for their descriptions. GitHub's published schema declares two fields of
   * EnterpriseOwnerInfo twice so (one with a description copied from another field), which the
   * GraphQL specification does not allow and graphql-java refuses; a field declared twice with
   * two different types or arguments is left for graphql-java to refuse.
   */
  static Document withoutRepeats(Document sdl) {
    return sdl.transform(document -> document.definitions(sdl.getDefinitions().stream()
        .map(definition -> {
          if (!(definition instanceof ObjectTypeDefinition type)) {
            return definition;
          }
          Map<String, String> seen = new LinkedHashMap<>();
          List<FieldDefinition> fields = new ArrayList<>();
          for (FieldDefinition field : type.getFieldDefinitions()) {
            String printed = AstPrinter.printAst(field.transform(f -> f.description(null)));
            String before = seen.putIfAbsent(field.getName(), printed);
            if (before == null || !before.equals(printed)) {
              fields.add(field);
            }
          }
          return fields.size() == type.getFieldDefinitions().size() ? definition
              : type.transform(builder -> builder.fieldDefinitions(fields));
        })
        .collect(Collectors.<Definition>toList())));
  }

  @Override
  public String schema() {
    return PACKAGE + " " + Tools.npmVersion(PACKAGE);
  }

  @Override
  public GraphQlAnswer answer(String line, String contentType, byte[] body) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return refused(line, 400, "Problems parsing JSON",
          "Content-Type " + contentType + ": GitHub's GraphQL API takes application/json");
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JacksonException e) {
      return refused(line, 400, "Problems parsing JSON", "the body is not JSON: " + e.getMessage());
    }
    List<Violation> found = new ArrayList<>();
    if (!request.isObject() || !request.path("query").isString()) {
      return refused(line, 400, "A query attribute must be specified and must be a string.",
          "the body is not an object with a query string");
    }
    request.properties().forEach(e -> {
      if (!REQUEST_FIELDS.contains(e.getKey())) {
        found.add(new Violation(line, "request", "$." + e.getKey(),
            "a GraphQL request has query, variables and operationName, not " + e.getKey()));
      }
    });
    JsonNode given = request.path("variables");
    if (!given.isMissingNode() && !given.isNull() && !given.isObject()) {
      found.add(new Violation(line, "request", "$.variables", "variables is not an object"));
    }
    String operationName = request.path("operationName").isString()
        ? request.path("operationName").asString() : null;
    String query = request.path("query").asString();
    Map<String, Object> variables = given.isObject()
        ? JSON.treeToValue(given, mapType()) : Map.of();

    Document document;
    try {
      document = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      found.add(new Violation(line, "request", "$.query", e.getMessage()));
      return validationErrors(found, List.of(e.toInvalidSyntaxError()));
    }
    OperationDefinition operation = operation(document, operationName);
    String what = operation == null ? line : line + " (" + describe(operation) + ")";
    found.replaceAll(v -> new Violation(what, v.part(), v.jsonPath(), v.message()));
    if (operation != null) {
      Set<String> declared = operation.getVariableDefinitions().stream()
          .map(VariableDefinition::getName).collect(Collectors.toSet());
      for (String name : variables.keySet()) {
        if (!declared.contains(name)) {
          found.add(new Violation(what, "request", "$.variables." + name,
              "the operation declares no variable $" + name));
        }
      }
    }
    if (!found.isEmpty()) {
      // refused before it runs, so that the fake's state does not change
      return validationErrors(found, List.of());
    }

    ExecutionResult result = engine().execute(ExecutionInput.newExecutionInput()
        .query(query)
        .operationName(operationName)
        .variables(variables)
        .graphQLContext(Map.of(GitHubGraphQl.class, resolvers))
        .build());
    List<GraphQLError> invalid = new ArrayList<>();
    List<Violation> wrongAnswer = new ArrayList<>();
    ArrayNode refusals = NODES.arrayNode();
    int status = 200;
    for (GraphQLError error : result.getErrors()) {
      Throwable cause = error instanceof ExceptionWhileDataFetching fetching
          ? unwrap(fetching.getException()) : null;
      if (error.getErrorType() == ErrorType.InvalidSyntax
          || error.getErrorType() == ErrorType.ValidationError
          || error.getErrorType() == ErrorType.OperationNotSupported) {
        invalid.add(error);
        found.add(new Violation(what, "request", path(error), error.getMessage()));
      } else if (cause instanceof Refusal refusal) {
        refusals.add(gitHubError(refusal.type(), refusal.getMessage(), error));
      } else if (cause instanceof Unanswered) {
        status = 501;
        wrongAnswer.add(new Violation(what, "request", path(error),
            "the test gives no answer to " + cause.getMessage()));
      } else {
        status = Math.max(status, 500);
        wrongAnswer.add(new Violation(what, "answer", path(error),
            cause != null ? "the test's resolver failed: " + cause : error.getMessage()));
      }
    }
    if (!found.isEmpty()) {
      return validationErrors(found, invalid);
    }
    if (!wrongAnswer.isEmpty()) {
      return new GraphQlAnswer(what, status, GitHubApiServer.error(
          "Not allowed by GitHub's schema: " + wrongAnswer), wrongAnswer);
    }
    ObjectNode answer = NODES.objectNode();
    answer.set("data", JSON.valueToTree(result.getData()));
    if (!refusals.isEmpty()) {
      answer.set("errors", refusals);
    }
    return new GraphQlAnswer(what, 200, answer, List.of());
  }

  /** GitHub's answer to a query it does not accept: HTTP 200, {@code errors} and no data. */
  private static GraphQlAnswer validationErrors(List<Violation> found, List<GraphQLError> errors) {
    ObjectNode answer = NODES.objectNode();
    ArrayNode list = answer.putArray("errors");
    for (GraphQLError error : errors) {
      list.add(JSON.valueToTree(error.toSpecification()));
    }
    if (errors.isEmpty()) {
      found.forEach(v -> list.add(NODES.objectNode().put("message", v.toString())));
    }
    return new GraphQlAnswer(found.get(0).operation(), 200, answer, List.copyOf(found));
  }

  private static GraphQlAnswer refused(String line, int status, String message, String why) {
    return new GraphQlAnswer(line, status, GitHubApiServer.error(message),
        List.of(new Violation(line, "request", "", why)));
  }

  /** An error as GitHub writes one: its type, the field's path and place, and the message. */
  private static ObjectNode gitHubError(String type, String message, GraphQLError error) {
    ObjectNode node = NODES.objectNode();
    node.put("type", type);
    node.set("path", JSON.valueToTree(error.getPath() == null ? List.of() : error.getPath()));
    ArrayNode locations = node.putArray("locations");
    for (SourceLocation at : error.getLocations() == null ? List.<SourceLocation>of()
        : error.getLocations()) {
      locations.addObject().put("line", at.getLine()).put("column", at.getColumn());
    }
    node.put("message", message);
    return node;
  }

  private static OperationDefinition operation(Document document, String name) {
    List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
    for (OperationDefinition operation : operations) {
      if (name == null ? operations.size() == 1 : name.equals(operation.getName())) {
        return operation;
      }
    }
    return null;
  }

  /** "mutation enablePullRequestAutoMerge": the operation's kind and its root fields. */
  private static String describe(OperationDefinition operation) {
    return operation.getOperation().name().toLowerCase(Locale.ROOT) + " "
        + operation.getSelectionSet().getSelectionsOfType(Field.class).stream()
            .map(Field::getName).collect(Collectors.joining(","));
  }

  private static String path(GraphQLError error) {
    List<Object> path = error.getPath();
    if (path != null && !path.isEmpty()) {
      return "$." + path.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
    List<SourceLocation> at = error.getLocations();
    return at == null || at.isEmpty() ? ""
        : "query " + at.get(0).getLine() + ":" + at.get(0).getColumn();
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @SuppressWarnings("unchecked")
  private static Class<Map<String, Object>> mapType() {
    return (Class<Map<String, Object>>) (Class<?>) Map.class;
  }

  /**
   * Root fields answered by the test's resolvers, other fields read from the maps they return,
   * interface and union types named by {@code __typename}, and GitHub's own scalars (DateTime,
   * URI, GitObjectID...) as the strings GitHub documents them as.
   */
  private static final class Wiring implements WiringFactory {
    @Override
    public boolean providesDataFetcher(FieldWiringEnvironment environment) {
      return true;
    }

    @Override
    public DataFetcher<?> getDataFetcher(FieldWiringEnvironment environment) {
      String parent = environment.getParentType().getName();
      String field = environment.getFieldDefinition().getName();
      if (!parent.equals("Mutation") && !parent.equals("Query")) {
        return PropertyDataFetcher.fetching(field);
      }
      return fetching -> {
        GraphQLContext context = fetching.getGraphQlContext();
        Map<String, Resolver> resolvers = context.get(GitHubGraphQl.class);
        Resolver resolver = resolvers == null ? null : resolvers.get(field);
        if (resolver == null) {
          throw new Unanswered(parent + "." + field);
        }
        return resolver.resolve(fetching.getArguments());
      };
    }

    @Override
    public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
      return true;
    }

    @Override
    public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
      return Wiring::typeOf;
    }

    @Override
    public boolean providesTypeResolver(UnionWiringEnvironment environment) {
      return true;
    }

    @Override
    public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
      return Wiring::typeOf;
    }

    private static GraphQLObjectType typeOf(TypeResolutionEnvironment environment) {
      Object value = environment.getObject();
      Object name = value instanceof Map<?, ?> map ? map.get("__typename") : null;
      GraphQLObjectType type = name == null ? null
          : environment.getSchema().getObjectType(String.valueOf(name));
      if (type == null) {
        throw new IllegalStateException("an object of an interface or union type needs the"
            + " __typename of one of its object types, not " + name);
      }
      return type;
    }

    @Override
    public boolean providesScalar(ScalarWiringEnvironment environment) {
      return !ScalarInfo.isGraphqlSpecifiedScalar(environment.getScalarTypeDefinition().getName());
    }

    @Override
    public GraphQLScalarType getScalar(ScalarWiringEnvironment environment) {
      String name = environment.getScalarTypeDefinition().getName();
      return GraphQLScalarType.newScalar().name(name).coercing(new StringScalar(name)).build();
    }
  }

  /**
   * GraphQL's ID as GitHub takes it: a string, or an integer written as one. graphql-java's own
   * takes any value (a list too) as its text, which GitHub refuses.
   */
  private static final class Id implements Coercing<String, String> {
    @Override
    public String serialize(Object value, GraphQLContext context, Locale locale) {
      if (value instanceof String || value instanceof Integer || value instanceof Long) {
        return String.valueOf(value);
      }
      throw new CoercingSerializeException("ID is a string, not " + value);
    }

    @Override
    public String parseValue(Object value, GraphQLContext context, Locale locale) {
      if (value instanceof String || value instanceof Integer || value instanceof Long
          || value instanceof BigInteger) {
        return String.valueOf(value);
      }
      throw new CoercingParseValueException("ID is a string or an integer, not " + value);
    }

    @Override
    public String parseLiteral(Value<?> value, CoercedVariables variables,
        GraphQLContext context, Locale locale) {
      if (value instanceof StringValue text) {
        return text.getValue();
      }
      if (value instanceof IntValue number) {
        return number.getValue().toString();
      }
      throw new CoercingParseLiteralException("ID is a string or an integer, not " + value);
    }

    @Override
    public Value<?> valueToLiteral(Object value, GraphQLContext context, Locale locale) {
      return StringValue.of(String.valueOf(value));
    }
  }

  /** One of GitHub's scalars, every one a string in JSON (BigInt too, for its size). */
  private static final class StringScalar implements Coercing<String, String> {
    private final String name;

    StringScalar(String name) {
      this.name = name;
    }

    @Override
    public String serialize(Object value, GraphQLContext context, Locale locale) {
      if (value instanceof String text) {
        return text;
      }
      throw new CoercingSerializeException(name + " is a string, not " + value);
    }

    @Override
    public String parseValue(Object value, GraphQLContext context, Locale locale) {
      if (value instanceof String text) {
        return text;
      }
      throw new CoercingParseValueException(name + " is a string, not " + value);
    }

    @Override
    public String parseLiteral(Value<?> value, CoercedVariables variables,
        GraphQLContext context, Locale locale) {
      if (value instanceof StringValue text) {
        return text.getValue();
      }
      throw new CoercingParseLiteralException(name + " is a string, not " + value);
    }

    @Override
    public Value<?> valueToLiteral(Object value, GraphQLContext context, Locale locale) {
      return StringValue.of(String.valueOf(value));
    }
  }
}
