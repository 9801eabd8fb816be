# bash completion for cprof: commands and reports, flags (both spellings), the sample types
# of the profile named so far for -sample_index, and file names. The words come from cprof
# itself (cprof __complete ...), so they always match the installed cprof.

# The first argument after position 1 that names a readable regular file: the profile (or
# the binary, whose sample types are none: cprof stays quiet).
_cprof_profile()
{
	local w
	for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		[[ $w != -* && -f $w && -r $w ]] && printf '%s\n' "$w"
	done
}

_cprof()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local flag="" value=""
	COMPREPLY=()
	# bash splits -flag=value at '=': the word is the value, '=' and the flag come before.
	if [[ $cur == = ]]; then
		flag=$prev value=""
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		flag=${COMP_WORDS[COMP_CWORD-2]} value=$cur
	elif [[ $cur == -*=* ]]; then
		flag=${cur%%=*} value=${cur#*=}
	fi
	if [[ -n $flag ]]; then
		case $flag in
		-sample_index | --sample_index)
			local p types=""
			while IFS= read -r p; do
				types=$(cprof __complete sample_types "$p" 2>/dev/null) && [[ -n $types ]] && break
			done < <(_cprof_profile)
			mapfile -t COMPREPLY < <(compgen -W "$types" -- "$value")
			;;
		-unit | --unit)
			mapfile -t COMPREPLY < <(compgen -W "minimum auto ns us ms s b kb mb gb" -- "$value")
			;;
		*)
			mapfile -t COMPREPLY < <(compgen -f -- "$value")
			;;
		esac
		return
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(cprof __complete flags 2>/dev/null)" -- "$cur")
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace
		return
	fi
	if [[ $COMP_CWORD == 1 ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(cprof __complete commands 2>/dev/null)" -- "$cur")
	fi
	if [[ $COMP_CWORD == 2 && $prev == help ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(cprof __complete commands 2>/dev/null)" -- "$cur")
		return
	fi
	local f
	while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
	compopt -o filenames 2>/dev/null
}
complete -F _cprof cprof
