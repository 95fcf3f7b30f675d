int cmd_demo_placeholder;
