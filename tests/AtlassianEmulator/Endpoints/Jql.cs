using System.Text;

namespace AtlassianEmulator;

/// <summary>Thrown for a JQL query the emulator cannot run; answered with 400 and the message.</summary>
internal sealed class JqlException(string message) : Exception(message);

/// <summary>
/// A small JQL subset: clauses <c>field op value</c> joined by AND / OR / NOT with parentheses, and an
/// ORDER BY clause that is accepted and ignored (results come in issue-number order).
/// Fields: project, key (issuekey, id), status, priority, issuetype (type), labels, assignee, reporter,
/// summary, text. Operators: =, !=, ~, !~, IN, NOT IN, IS [NOT] EMPTY|NULL. Function: currentUser().
/// </summary>
internal sealed class Jql
{
    private readonly List<string> _tokens;
    private readonly Func<string, Project?> _findProject;
    private readonly UserAccount? _caller;
    private int _next;

    private Jql(List<string> tokens, Func<string, Project?> findProject, UserAccount? caller)
    {
        _tokens = tokens;
        _findProject = findProject;
        _caller = caller;
    }

    /// <summary>Parses a query; null <paramref name="jql"/> or one without a clause yields null (unbounded).</summary>
    public static Func<Issue, bool>? Parse(string? jql, Func<string, Project?> findProject, UserAccount? caller)
    {
        var tokens = Tokenize(jql ?? string.Empty);
        var orderBy = tokens.FindIndex(t => t.Equals("ORDER", StringComparison.OrdinalIgnoreCase));
        if (orderBy >= 0)
        {
            if (orderBy + 1 >= tokens.Count || !tokens[orderBy + 1].Equals("BY", StringComparison.OrdinalIgnoreCase))
            {
                throw new JqlException("Error in the JQL Query: Expecting 'BY' after 'ORDER'.");
            }

            tokens = tokens[..orderBy];
        }

        if (tokens.Count == 0)
        {
            return null;
        }

        var parser = new Jql(tokens, findProject, caller);
        var predicate = parser.ParseOr();
        if (parser._next < tokens.Count)
        {
            throw new JqlException($"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{tokens[parser._next]}'.");
        }

        return predicate;
    }

    private Func<Issue, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Accept("OR"))
        {
            var l = left;
            var r = ParseAnd();
            left = i => l(i) || r(i);
        }

        return left;
    }

    private Func<Issue, bool> ParseAnd()
    {
        var left = ParseNot();
        while (Accept("AND"))
        {
            var l = left;
            var r = ParseNot();
            left = i => l(i) && r(i);
        }

        return left;
    }

    private Func<Issue, bool> ParseNot()
    {
        if (Accept("NOT"))
        {
            var inner = ParseNot();
            return i => !inner(i);
        }

        if (Accept("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        return ParseClause();
    }

    private Func<Issue, bool> ParseClause()
    {
        var field = Take("a field name");
        var values = FieldValues(field);
        if (Accept("IS"))
        {
            var negate = Accept("NOT");
            if (!Accept("EMPTY") && !Accept("NULL"))
            {
                throw new JqlException($"Error in the JQL Query: Expecting EMPTY or NULL after IS for field '{field}'.");
            }

            return i => values(i).Count == 0 != negate;
        }

        var op = Take("an operator");
        if (op.Equals("NOT", StringComparison.OrdinalIgnoreCase))
        {
            Expect("IN");
            op = "NOT IN";
        }

        var operands = op.Equals("IN", StringComparison.OrdinalIgnoreCase) || op == "NOT IN" ? ParseList() : [ParseValue()];
        if (field.Equals("project", StringComparison.OrdinalIgnoreCase))
        {
            CheckProjectsExist(operands);
        }

        bool Equal(Issue i) => values(i).Any(v => operands.Any(o => v.Equals(o, StringComparison.OrdinalIgnoreCase)));
        bool Contains(Issue i) => values(i).Any(v => operands.Any(o => v.Contains(o.Trim('*'), StringComparison.OrdinalIgnoreCase)));
        return op.ToUpperInvariant() switch
        {
            "=" or "IN" => Equal,
            "!=" or "NOT IN" => i => !Equal(i),
            "~" => Contains,
            "!~" => i => !Contains(i),
            _ => throw new JqlException($"Error in the JQL Query: The operator '{op}' is not supported here."),
        };
    }

    private Func<Issue, IReadOnlyList<string>> FieldValues(string field) => field.ToLowerInvariant() switch
    {
        "project" => i => [i.Project.Key, i.Project.Id, i.Project.Name],
        "key" or "issuekey" or "id" => i => [i.Key, i.Id],
        "status" => i => [i.Status.Name, i.Status.Id],
        "priority" => i => [i.Priority.Name, i.Priority.Id],
        "issuetype" or "type" => i => [i.Type.Name, i.Type.Id],
        "labels" => i => i.Labels,
        "assignee" => i => UserValues(i.Assignee),
        "reporter" => i => UserValues(i.Reporter),
        "summary" => i => [i.Summary],
        "text" => i => [i.Summary, i.Key],
        _ => throw new JqlException($"Field '{field}' does not exist or you do not have permission to view it."),
    };

    private static IReadOnlyList<string> UserValues(UserAccount? user) =>
        user is null ? [] : [user.AccountId ?? user.Name!, user.EmailAddress, user.DisplayName];

    private void CheckProjectsExist(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (_findProject(key) is null)
            {
                throw new JqlException($"The value '{key}' does not exist for the field 'project'.");
            }
        }
    }

    private List<string> ParseList()
    {
        Expect("(");
        var values = new List<string> { ParseValue() };
        while (Accept(","))
        {
            values.Add(ParseValue());
        }

        Expect(")");
        return values;
    }

    private string ParseValue()
    {
        var value = Take("a value");
        if (value.Equals("currentUser", StringComparison.OrdinalIgnoreCase) && Accept("("))
        {
            Expect(")");
            return _caller is null ? "\0anonymous" : _caller.AccountId ?? _caller.Name!;
        }

        return value.Length >= 2 && value[0] is '"' or '\'' ? value[1..^1] : value;
    }

    private bool Accept(string token)
    {
        if (_next < _tokens.Count && _tokens[_next].Equals(token, StringComparison.OrdinalIgnoreCase))
        {
            _next++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new JqlException($"Error in the JQL Query: Expecting '{token}' but got '{(_next < _tokens.Count ? _tokens[_next] : "end of query")}'.");
        }
    }

    private string Take(string what) =>
        _next < _tokens.Count
            ? _tokens[_next++]
            : throw new JqlException($"Error in the JQL Query: Expecting {what} but reached the end of the query.");

    /// <summary>Splits into words, quoted strings (kept with their quotes) and the symbols = != ~ !~ ( ) ,.</summary>
    private static List<string> Tokenize(string jql)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < jql.Length)
        {
            var c = jql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                var end = jql.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new JqlException("Error in the JQL Query: The quoted string has not been completed.");
                }

                tokens.Add(jql[i..(end + 1)]);
                i = end + 1;
            }
            else if (c is '!' && i + 1 < jql.Length && jql[i + 1] is '=' or '~')
            {
                tokens.Add(jql.Substring(i, 2));
                i += 2;
            }
            else if (c is '=' or '~' or '(' or ')' or ',')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var word = new StringBuilder();
                while (i < jql.Length && !char.IsWhiteSpace(jql[i]) && jql[i] is not ('=' or '~' or '(' or ')' or ',' or '!' or '"' or '\''))
                {
                    word.Append(jql[i++]);
                }

                if (word.Length == 0)
                {
                    throw new JqlException($"Error in the JQL Query: The character '{c}' is a reserved JQL character.");
                }

                tokens.Add(word.ToString());
            }
        }

        return tokens;
    }
}
