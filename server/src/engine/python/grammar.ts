// The names of tree-sitter-python's visible node types and fields, as the lowered tree
// (tree.ts) numbers them. Written out so that a misspelt type or field name is a type error; a
// test (server/test/python/lowering.test.ts) checks them against the grammar that is loaded.

/** Index 0 is no node at all; the named types follow ERROR, then the anonymous ones (keywords are both). */
export const NODE_TYPES = [
  '', 'ERROR',
  '__future__', 'aliased_import', 'and', 'argument_list', 'as', 'as_pattern', 'as_pattern_target',
  'assert', 'assert_statement', 'assignment', 'async', 'attribute', 'augmented_assignment', 'await',
  'binary_operator', 'block', 'boolean_operator', 'break', 'break_statement', 'call', 'case', 'case_clause',
  'case_pattern', 'chevron', 'class', 'class_definition', 'class_pattern', 'comment', 'comparison_operator',
  'complex_pattern', 'concatenated_string', 'conditional_expression', 'constrained_type', 'continue',
  'continue_statement', 'decorated_definition', 'decorator', 'def', 'default_parameter', 'del',
  'delete_statement', 'dict_pattern', 'dictionary', 'dictionary_comprehension', 'dictionary_splat',
  'dictionary_splat_pattern', 'dotted_name', 'elif', 'elif_clause', 'ellipsis', 'else', 'else_clause',
  'escape_interpolation', 'escape_sequence', 'except', 'except_clause', 'exec', 'exec_statement',
  'expression_list', 'expression_statement', 'false', 'finally', 'finally_clause', 'float', 'for',
  'for_in_clause', 'for_statement', 'format_expression', 'format_specifier', 'from', 'function_definition',
  'future_import_statement', 'generator_expression', 'generic_type', 'global', 'global_statement',
  'identifier', 'if', 'if_clause', 'if_statement', 'import', 'import_from_statement', 'import_prefix',
  'import_statement', 'in', 'integer', 'interpolation', 'is', 'keyword_argument', 'keyword_pattern',
  'keyword_separator', 'lambda', 'lambda_parameters', 'line_continuation', 'list', 'list_comprehension',
  'list_pattern', 'list_splat', 'list_splat_pattern', 'match', 'match_statement', 'member_type', 'module',
  'named_expression', 'none', 'nonlocal', 'nonlocal_statement', 'not', 'not_operator', 'or', 'pair',
  'parameters', 'parenthesized_expression', 'parenthesized_list_splat', 'pass', 'pass_statement',
  'pattern_list', 'positional_separator', 'print', 'print_statement', 'raise', 'raise_statement',
  'relative_import', 'return', 'return_statement', 'set', 'set_comprehension', 'slice', 'splat_pattern',
  'splat_type', 'string', 'string_content', 'string_end', 'string_start', 'subscript', 'true', 'try',
  'try_statement', 'tuple', 'tuple_pattern', 'type', 'type_alias_statement', 'type_conversion',
  'type_parameter', 'typed_default_parameter', 'typed_parameter', 'unary_operator', 'union_pattern',
  'union_type', 'while', 'while_statement', 'wildcard_import', 'with', 'with_clause', 'with_item',
  'with_statement', 'yield',
  '!=', '%', '%=', '&', '&=', '(', ')', '*', '**', '**=', '*=', '+', '+=', ',', '-', '-=', '->', '.', '/',
  '//', '//=', '/=', ':', ':=', ';', '<', '<<', '<<=', '<=', '<>', '=', '==', '>', '>=', '>>', '>>=', '@',
  '@=', '[', '\\', ']', '^', '^=', '_', 'is not', 'not in', '{', '|', '|=', '}', '~',
] as const;

export type NodeType = (typeof NODE_TYPES)[number];

/** Index 0 is "no field". */
export const FIELD_NAMES = [
  '',
  'alias', 'alternative', 'argument', 'arguments', 'attribute', 'body', 'cause', 'code', 'condition',
  'consequence', 'definition', 'expression', 'format_specifier', 'function', 'guard', 'key', 'left',
  'module_name', 'name', 'object', 'operator', 'operators', 'parameters', 'return_type', 'right', 'subject',
  'subscript', 'superclasses', 'type', 'type_conversion', 'type_parameters', 'value',
] as const;

export type FieldName = Exclude<(typeof FIELD_NAMES)[number], ''>;

export const FIELD_IDS: Readonly<Record<FieldName, number>> = Object.fromEntries(FIELD_NAMES.map((name, i) => [name, i]).slice(1)) as Record<FieldName, number>;

/** A kind number per type name (the position in NODE_TYPES). */
export const KIND_OF: ReadonlyMap<string, number> = new Map(NODE_TYPES.map((name, i) => [name, i]));
